/** The value rules of src/config/k8s-values.ts, against examples the real parsers accept and refuse. */
import { describe, expect, it } from 'vitest';
import { cronProblem, imageReferenceProblem, parseQuantity } from '../../src/config/k8s-values.js';

describe('Kubernetes and Argo value rules', () => {
  it('accepts image references the runtime pulls, refuses others', () => {
    for (const ok of [
      'argo-ingest:0.1.0',
      'ghcr.io/acme/argo-ingest:0.1.0',
      'localhost:5000/argo-ingest',
      'registry.example.com:443/team/sub/img@sha256:' + 'a'.repeat(64),
      'docker.io/library/python:3.12-slim',
      'Registry.Example.com/acme/img:Latest_1',
    ]) {
      expect(imageReferenceProblem(ok), ok).toBeUndefined();
    }
    for (const bad of ['Argo-Ingest:1', 'ghcr.io/Acme/img', 'img :1', 'img:', 'img@sha256:abc', '-img', 'a//b']) {
      expect(imageReferenceProblem(bad), bad).toBeDefined();
    }
  });

  it('parses quantities as quantity.go does', () => {
    expect(parseQuantity('500m')).toBeCloseTo(0.5);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('.5')).toBe(0.5);
    expect(parseQuantity('-1')).toBe(-1);
    for (const bad of ['2GB', '1gi', 'lots', '', '1.2.3', 'Mi']) expect(parseQuantity(bad), bad).toBeUndefined();
  });

  it('checks cron field ranges as robfig/cron does', () => {
    for (const ok of [
      '*/15 * * * *',
      '0 2 * * MON-FRI',
      '0 0 1 JAN *',
      '0 9-17/2 * * 1,3,5',
      '0 0 ? * sun',
      '59 23 31 12 6',
    ]) {
      expect(cronProblem(ok), ok).toBeUndefined();
    }
    for (const bad of [
      '61 2 * * *',
      '0 25 * * *',
      '0 0 0 * *',
      '0 0 * 13 *',
      '0 0 * * 7',
      '*/0 * * * *',
      '5-1 * * * *',
      'a b c d e',
    ]) {
      expect(cronProblem(bad), bad).toBeDefined();
    }
  });
});
