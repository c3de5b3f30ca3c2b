import { describe, expect, it } from 'vitest';
import { type NativeAdapter, XNNPACK_ADAPTER, nativeAvailability } from '../../conformance/backends/native/native_adapters.js';
import { builtinBackend } from '../../conformance/backends/registry.js';

describe('native built-in backends', () => {
  it('are registered as xnnpack and gemmlowp', () => {
    expect(builtinBackend('xnnpack')?.defaultVectors).toMatch(/vectors\/xnnpack-2022$/);
    expect(builtinBackend('gemmlowp')?.defaultVectors).toMatch(/vectors\/gemmlowp$/);
  });

  it('report themselves unavailable, with the apt-get and build commands, when the package is missing', () => {
    const missing: NativeAdapter = { ...XNNPACK_ADAPTER, header: '/nonexistent/xnnpack.h', binary: '/nonexistent/xnnpack_backend' };
    const a = nativeAvailability(missing);
    expect(a.available).toBe(false);
    if (a.available) return;
    expect(a.reason).toContain('/nonexistent/xnnpack.h');
    expect(a.install).toBe('apt-get update && apt-get install -y g++ libxnnpack-dev libpthreadpool-dev libcpuinfo-dev && npm run build:native');
  });
});
