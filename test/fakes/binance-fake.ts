// The Binance fake lives in ./binance/ (one module per concern); this path stays for its importers.
export { BinanceFake } from './binance/fake';
