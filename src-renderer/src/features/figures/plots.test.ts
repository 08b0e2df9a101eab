import { describe, expect, it } from 'vitest';
import '@testing-library/svelte/vitest';
import { render, screen } from '@testing-library/svelte';
import ConfusionMatrix from './ConfusionMatrix.svelte';
import LossCurve from './LossCurve.svelte';

describe('ConfusionMatrix', () => {
  it('puts each count in its truth × prediction cell with the row share, and summarizes', () => {
    const { container } = render(ConfusionMatrix, { counts: [[104, 44], [18, 724]], title: 'Convnet V1 (seed)' });
    const cell = (truth: string, predicted: string) =>
      Array.from(container.querySelectorAll(`g.cell[data-truth="${truth}"][data-predicted="${predicted}"] text`)).map((t) => t.textContent);
    // Shares by truth row, by hand: 104/148, 44/148, 18/742, 724/742.
    expect(cell('not silence', 'not silence')).toEqual(['104', '70.3%']);
    expect(cell('not silence', 'silence')).toEqual(['44', '29.7%']);
    expect(cell('silence', 'not silence')).toEqual(['18', '2.4%']);
    expect(cell('silence', 'silence')).toEqual(['724', '97.6%']);
    expect(container.querySelectorAll('rect')).toHaveLength(4);
    const svgText = Array.from(container.querySelectorAll('svg text')).map((t) => t.textContent);
    expect(svgText).toEqual(expect.arrayContaining(['prediction', 'truth', 'not silence', 'silence']));
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('Convnet V1 (seed): confusion matrix, 890 held-out frames');
    // 828/890 = 93.03%, 724/768 = 94.27%, 724/742 = 97.57%.
    const summary = Object.fromEntries(
      Array.from(container.querySelectorAll('dt')).map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]),
    );
    expect(summary).toEqual({ accuracy: '93.0%', 'silence precision': '94.3%', 'silence recall': '97.6%', frames: '890' });
  });
});

describe('LossCurve', () => {
  it('says plainly that one epoch was run instead of drawing a lone dot on an empty axis', () => {
    const { container } = render(LossCurve, { loss: [0.6931], title: 'Silence head training' });
    expect(container.querySelector('svg')).toBeNull();
    expect(screen.getByTestId('single-loss').textContent).toContain('one epoch was run; its loss was 0.6931');
  });

  const ticks = (container: Element, axis: string) =>
    Array.from(container.querySelectorAll(`g.${axis} g.tick`)).map((g) => ({
      label: g.querySelector('text')?.textContent,
      pos: g.getAttribute('transform')?.match(/translate\(([-\d.]+),([-\d.]+)\)/)?.slice(1).map(Number) as number[],
    }));

  it('draws one point per epoch, aligned with the axis ticks of their values', () => {
    const { container } = render(LossCurve, { loss: [1.0, 0.5, 0.25, 0.2], title: 'Encoder training' });
    const xTicks = ticks(container, 'x-axis');
    expect(xTicks.map((t) => t.label)).toEqual(['1', '2', '3', '4']);
    const yTicks = ticks(container, 'y-axis');
    expect(yTicks.map((t) => Number(t.label))).toEqual(expect.arrayContaining([0.2, 0.4, 0.6, 0.8, 1]));
    const circles = Array.from(container.querySelectorAll('circle.point')).map((c) => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]);
    expect(circles).toHaveLength(4);
    const tickAt = (label: string, list: typeof yTicks) => list.find((t) => t.label === label)?.pos as number[];
    // Point 1 (loss 1.0) sits at x tick "1" and y tick "1.0"; point 4 (loss 0.2) at x tick "4" and y tick "0.2".
    expect(circles[0][0]).toBeCloseTo(tickAt('1', xTicks)[0], 6);
    expect(circles[0][1]).toBeCloseTo(tickAt('1.0', yTicks)[1], 6);
    expect(circles[3][0]).toBeCloseTo(tickAt('4', xTicks)[0], 6);
    expect(circles[3][1]).toBeCloseTo(tickAt('0.2', yTicks)[1], 6);
    // Loss 0.5 is halfway between 0.2 and 0.8 in value: linear scale.
    expect(circles[1][1]).toBeCloseTo((tickAt('0.2', yTicks)[1] + tickAt('0.8', yTicks)[1]) / 2, 6);
    expect(container.querySelector('path.curve')?.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){3}$/);
    expect(Array.from(container.querySelectorAll('.axis-title')).map((t) => t.textContent)).toEqual(['epoch', 'loss']);
    expect(screen.getByText(/final loss 0.2000 after 4 epochs/)).toBeTruthy();
  });

  it('says so when there is nothing to plot', () => {
    render(LossCurve, { loss: [], title: 'Head' });
    expect(screen.getByText('Head: no loss values recorded.')).toBeTruthy();
  });
});
