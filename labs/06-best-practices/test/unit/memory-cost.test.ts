import { compareMemorySizes, estimate, MB_PER_VCPU, vcpusAt } from '../../src/cost/memory-cost';

describe('CPU scales with memory', () => {
  it('gives one vCPU at 1,769 MB, six at 10,240 MB (rounded), and a fraction below', () => {
    expect(vcpusAt(MB_PER_VCPU)).toBe(1);
    expect(vcpusAt(10_240)).toBeCloseTo(5.79, 2);
    expect(vcpusAt(128)).toBeCloseTo(0.0724, 4);
  });

  it.each([[64], [10_241], [512.5]])('refuses %p MB, outside what Lambda accepts', (memory) => {
    expect(() => vcpusAt(memory)).toThrow(/outside Lambda's range/);
  });
});

describe('estimate', () => {
  it('makes CPU-bound work 13.8 times faster from 128 MB to 1,769 MB, for about the same cost', () => {
    const work = { cpuMs: 100, waitMs: 0, threads: 1 };

    const small = estimate(work, 128);
    const vcpu = estimate(work, 1769);

    expect(small.durationMs).toBeCloseTo(1382.03, 1);
    expect(vcpu.durationMs).toBe(100);
    expect(small.costPerMillion).toBeCloseTo(3.08, 2);
    expect(vcpu.costPerMillion).toBeCloseTo(3.08, 2);
  });

  it('gives single-threaded code nothing beyond one vCPU', () => {
    const work = { cpuMs: 100, waitMs: 0, threads: 1 };

    expect(estimate(work, 3538).durationMs).toBe(100);
    expect(estimate({ ...work, threads: 2 }, 3538).durationMs).toBe(50);
  });

  it('does not shorten waiting: I/O-bound work only costs more with more memory', () => {
    const work = { cpuMs: 1, waitMs: 50, threads: 1 };

    const small = estimate(work, 128);
    const large = estimate(work, 1024);

    expect(large.durationMs).toBeLessThan(small.durationMs);
    expect(large.costPerMillion).toBeGreaterThan(small.costPerMillion * 3);
  });
});

describe('compareMemorySizes', () => {
  it('finds the cheapest size for I/O-bound work: the smallest', () => {
    const { cheapest } = compareMemorySizes({ cpuMs: 2, waitMs: 40, threads: 1 }, [128, 512, 1769]);

    expect(cheapest.memoryMb).toBe(128);
  });

  it('finds that CPU-bound work costs no more at a full vCPU, so picks the faster size on a tie in cost', () => {
    const { options, cheapest } = compareMemorySizes({ cpuMs: 400, waitMs: 0, threads: 1 }, [1769, 3538]);

    expect(options.map((option) => option.memoryMb)).toEqual([1769, 3538]);
    expect(cheapest.memoryMb).toBe(1769);
  });

  it('refuses an empty list', () => {
    expect(() => compareMemorySizes({ cpuMs: 1, waitMs: 1, threads: 1 }, [])).toThrow(/No memory sizes/);
  });
});

// BEGIN HIDDEN TESTS
describe('estimate, with threads', () => {
  it('lets six threads use all of 10,240 MB', () => {
    const work = { cpuMs: 600, waitMs: 0, threads: 6 };

    expect(estimate(work, 10_240).durationMs).toBeCloseTo(600 / (10_240 / 1769), 6);
  });
});
// END HIDDEN TESTS
