/**
 * The guard evaluateRequest puts around an ops table so that a request's unread fields are refused after its handler
 * decoded it and before the op computes (conformance/protocol/request_fields.ts withUnreadRefused). It was a Proxy
 * built per request; the guarded twin is now built once per ops object, and each request only sets the refusal its
 * methods run first. No randomness.
 */
import { describe, expect, it } from 'vitest';
import { withUnreadRefused } from '../../conformance/protocol/request_fields.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { impl } from '../../impl/index.js';

class ClassOps {
  calls = 0;
  scale(x: number): number {
    this.calls++;
    return 2 * x;
  }
}

describe('withUnreadRefused', () => {
  it('runs the refusal before each method, and a refusal that throws keeps the method from running', () => {
    const log: string[] = [];
    const ops = { op: (x: number) => (log.push(`op ${x}`), x + 1), value: 7 };
    expect(withUnreadRefused(ops, () => log.push('refuse'), (g) => g.op(1) + g.value)).toBe(9);
    expect(log).toEqual(['refuse', 'op 1']);
    expect(() => withUnreadRefused(ops, () => { throw new Error('unread field'); }, (g) => g.op(2))).toThrow('unread field');
    expect(log).toEqual(['refuse', 'op 1']);
  });

  it('hands every request on one ops object the same guarded twin (built once, not per request)', () => {
    const ops = { op: (x: number) => x };
    const twins = new Set<object>();
    for (let k = 0; k < 3; k++) withUnreadRefused(ops, () => undefined, (g) => twins.add(g));
    expect(twins.size).toBe(1);
    expect(twins.has(ops)).toBe(false);
    // the real tables too: evaluateRequest answers on impl as before
    const request = { id: 'q', op: 'quantize_per_tensor@1', attrs: { scale: '3ff0000000000000', zero_point: 0, dtype: 'quint8' }, inputs: { x: { dtype: 'float32', shape: [1], hex: ['3f800000'] } } };
    expect(evaluateRequest(impl, request)).toEqual({ id: 'q', outputs: { q: { dtype: 'quint8', shape: [1], values: [1] } } });
  });

  it('calls the method the object holds at call time, on the object; methods of a class instance are guarded too', () => {
    const ops: { op: (x: number) => number } = { op: (x) => x };
    withUnreadRefused(ops, () => undefined, (g) => g.op(0));
    ops.op = (x) => x * 10;
    let refused = 0;
    expect(withUnreadRefused(ops, () => refused++, (g) => g.op(2))).toBe(20);
    const instance = new ClassOps();
    expect(withUnreadRefused(instance, () => refused++, (g) => g.scale(3))).toBe(6);
    expect(instance.calls).toBe(1);
    expect(refused).toBe(2);
  });

  it('a refusal applies only while its request runs: a nested request restores the outer one, and none runs after', () => {
    const ops = { op: () => 0 };
    const log: string[] = [];
    let kept: { op: () => number } | null = null;
    withUnreadRefused(ops, () => log.push('outer'), (g) => {
      kept = g;
      withUnreadRefused(ops, () => log.push('inner'), (h) => h.op());
      return g.op();
    });
    kept!.op();
    expect(log).toEqual(['inner', 'outer']);
  });
});
