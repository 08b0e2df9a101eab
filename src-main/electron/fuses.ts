/**
 * Electron fuses flipped in the Electron binary when the app is packaged
 * (`npm run package:fuses -- <path to the packaged Electron binary>`). Fuses
 * are baked into the binary, so they hold whatever the environment says:
 * - RunAsNode off: the app binary cannot be started as a plain Node
 *   (ELECTRON_RUN_AS_NODE would turn it into a script runner with the app's rights);
 * - NODE_OPTIONS and --inspect ignored: nothing injects code at startup;
 * - cookies encrypted on disk with the OS keychain;
 * - the app only loads from its asar archive, checked against the hash in the binary;
 * - file:// gets no extra privileges (the renderer is loaded from disk but needs none).
 */
import { flipFuses, FuseV1Options, FuseVersion, type FuseConfig } from '@electron/fuses';

export const FUSES: FuseConfig = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** Flips FUSES in the Electron binary at `electronBinary` (the packaged app's executable). */
export async function applyFuses(electronBinary: string, flip: typeof flipFuses = flipFuses): Promise<void> {
  await flip(electronBinary, { ...FUSES, resetAdHocDarwinSignature: process.platform === 'darwin' });
}
