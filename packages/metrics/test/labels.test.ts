import { describe, expect, it } from 'vitest';
import { METHOD_LABELS, OTHER_METHOD, metricPrefix, methodIndex, statusClass } from '../src/labels';

describe('metricPrefix', () => {
  it.each([
    ['/api', 'api_'],
    ['', ''],
    ['/', ''],
    ['/api/v1', 'api_v1_'],
    ['/user-service', 'user_service_'],
    ['/a.b~c', 'a_b_c_'],
    ['/2024/api', '_2024_api_'],
  ])('derives %j → %j (a valid metric name start)', (apiPrefix, expected) => {
    const prefix = metricPrefix(apiPrefix);
    expect(prefix).toBe(expected);
    expect(`${prefix}http_requests_total`).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
  });
});

describe('method and status labels', () => {
  it('keeps the standard methods and folds every other one into OTHER', () => {
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) expect(METHOD_LABELS[methodIndex(method)]).toBe(method);
    for (const method of ['PROPFIND', 'MKCOL', 'get', 'X'.repeat(200)]) expect(METHOD_LABELS[methodIndex(method)]).toBe(OTHER_METHOD);
  });

  it('names the status class', () => {
    expect(statusClass(401)).toBe('4xx');
    expect(statusClass(413)).toBe('4xx');
    expect(statusClass(500)).toBe('5xx');
    expect(statusClass(503)).toBe('5xx');
  });
});
