import Decimal from 'decimal.js';

/**
 * Exact numbers for money and quantities. Amounts live as decimal strings at the edges
 * (JSON, `numeric` columns) and as Decimal in between; a JS number never carries money.
 */
export { Decimal };
