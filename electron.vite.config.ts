import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Three bundles: the Electron main process (a thin shell around the plain-Node
// engine in src-main/engine), the preload that exposes the typed contract, and
// the Svelte renderer. Native and heavy dependencies stay external so
// better-sqlite3 and tfjs load from node_modules at run time.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/electron/main.ts') } },
    },
  },
  preload: {
    // A sandboxed preload cannot require packages: valibot (the contract's schemas) is bundled in.
    plugins: [externalizeDepsPlugin({ exclude: ['valibot'] })],
    build: {
      outDir: 'out/preload',
      minify: true, // ~12 KB instead of ~40 KB with valibot's comments; loaded by every window
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [svelte()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
