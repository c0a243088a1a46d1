/**
 * A view of `target` whose named methods are replaced by `overrides`; every other property reads
 * through, methods bound to `target` so that private fields keep working. Used to wrap a user
 * backend (login cache, creation policy) without knowing its class.
 */
export function withMethods<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (Object.hasOwn(overrides, property)) return overrides[property as keyof T];
      const value: unknown = Reflect.get(object, property, receiver);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}
