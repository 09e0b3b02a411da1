import { generateEncryptionKey, generateSecretKey } from '../libs/nest/config/load-config';

/** `npm run secrets:generate`: fresh keys to paste into .env or a secret manager. */
console.log(`SECRET_KEY=${generateSecretKey()}`);
console.log(`ENCRYPTION_KEY=${generateEncryptionKey()}`);
