/** Repeated timings as the benchmarks print them: the median, with the lowest and highest beside it. */
export function spread(values: readonly number[], format: (value: number) => string): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `${format(median)} (${format(sorted[0]!)}-${format(sorted[sorted.length - 1]!)})`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
