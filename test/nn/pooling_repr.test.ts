/**
 * MaxPool2d's and AvgPool2d's extraRepr show the options that change the result when they are not
 * the default (PyTorch's repr shows ceil_mode, dilation, count_include_pad, divisor_override).
 */
import { describe, expect, it } from 'vitest';
import { AvgPool2d, MaxPool2d } from '../../src/index.js';

describe('pooling layers extraRepr', () => {
  it('MaxPool2d shows dilation, ceilMode and returnIndices when set', () => {
    expect(new MaxPool2d(2).extraRepr()).toBe('kernelSize=2, stride=2, padding=0');
    expect(
      new MaxPool2d(3, { dilation: 2, ceilMode: true, returnIndices: true, padding: 1 }).extraRepr(),
    ).toBe('kernelSize=3, stride=3, padding=1, dilation=2, ceilMode=true, returnIndices=true');
    expect(new MaxPool2d(3, { dilation: [1, 2] }).extraRepr()).toBe(
      'kernelSize=3, stride=3, padding=0, dilation=[1,2]',
    );
  });

  it('AvgPool2d shows ceilMode, countIncludePad and divisorOverride when not default', () => {
    expect(new AvgPool2d(2, { countIncludePad: true, ceilMode: false }).extraRepr()).toBe(
      'kernelSize=2, stride=2, padding=0',
    );
    expect(new AvgPool2d(2, { ceilMode: true, countIncludePad: false, divisorOverride: 3 }).extraRepr()).toBe(
      'kernelSize=2, stride=2, padding=0, ceilMode=true, countIncludePad=false, divisorOverride=3',
    );
  });
});
