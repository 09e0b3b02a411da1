// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { chartWeight, isDecimalText, jsonWithAmount, moneyText, moneyWithCurrency } from './money';

describe('moneyText', () => {
  it('shows decimal strings exactly as the API sent them', () => {
    for (const s of ['444.24', '0.10', '16000.00', '0.00000001', '123456789012345678.99', '-5.50']) expect(moneyText(s)).toBe(s);
  });
  it('shows whole JSON numbers (funds COP) digit for digit', () => {
    expect(moneyText(500000)).toBe('500000');
    expect(moneyText(125000)).toBe('125000');
    expect(moneyText(0)).toBe('0');
  });
  it('never reformats: no grouping, no rounding, no added decimals', () => {
    expect(moneyText('1000')).toBe('1000');
    expect(moneyText('1000.5')).toBe('1000.5');
    expect(moneyText('0.1')).not.toBe('0.10');
  });
  it('shows a dash for null, undefined, empty and non-finite', () => {
    expect(moneyText(null)).toBe('—');
    expect(moneyText(undefined)).toBe('—');
    expect(moneyText('')).toBe('—');
    expect(moneyText(Number.NaN)).toBe('—');
  });
  it('adds the currency after the amount', () => {
    expect(moneyWithCurrency(375000, 'COP')).toBe('375000 COP');
    expect(moneyWithCurrency('16000.00', 'USD')).toBe('16000.00 USD');
    expect(moneyWithCurrency(null, 'USD')).toBe('—');
  });
});

describe('jsonWithAmount', () => {
  it('sends the typed digits as a JSON number literal, never through a float', () => {
    expect(jsonWithAmount({}, 'amount', '125000')).toBe('{"amount":125000}');
    expect(jsonWithAmount({}, 'amount', ' 0125000 ')).toBe('{"amount":125000}');
    expect(jsonWithAmount({ fund: 'x' }, 'amount', '9007199254740993')).toBe('{"fund":"x","amount":9007199254740993}');
    expect(JSON.parse(jsonWithAmount({}, 'amount', '0.5'))).toEqual({ amount: 0.5 });
  });
  it('sends anything that is not a plain decimal as a string, for the API to name the problem', () => {
    expect(jsonWithAmount({}, 'amount', '1e5')).toBe('{"amount":"1e5"}');
    expect(jsonWithAmount({}, 'amount', '12,500')).toBe('{"amount":"12,500"}');
    expect(jsonWithAmount({}, 'amount', '')).toBe('{"amount":""}');
  });
  it('recognises plain decimals only', () => {
    expect(isDecimalText('1000.50')).toBe(true);
    expect(isDecimalText('1.')).toBe(false);
    expect(isDecimalText('NaN')).toBe(false);
  });
});

describe('chartWeight', () => {
  it('is geometry only: positive numbers, zero for anything else', () => {
    expect(chartWeight('15000')).toBe(15000);
    expect(chartWeight(null)).toBe(0);
    expect(chartWeight('-3')).toBe(0);
    expect(chartWeight('abc')).toBe(0);
  });
});
