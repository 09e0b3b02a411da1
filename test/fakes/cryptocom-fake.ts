// The crypto.com fake lives in ./cryptocom/ (one module per concern); this path stays for its importers.
export { CryptoComFake } from './cryptocom/fake';
