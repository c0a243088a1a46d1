import { describe, expect, it } from 'vitest';
import { withMethods } from './with-methods.js';

class Counter {
  #count = 0;
  readonly name = 'counter';
  increment(): number {
    return ++this.#count;
  }
  reset(): void {
    this.#count = 0;
  }
}

describe('withMethods', () => {
  it('replaces the named methods and binds the others to the target', () => {
    const counter = new Counter();
    const wrapped = withMethods(counter, { reset: () => undefined });
    const { increment } = wrapped;
    expect(increment()).toBe(1);
    wrapped.reset();
    expect(counter.increment()).toBe(2);
    expect(wrapped.name).toBe('counter');
  });
});
