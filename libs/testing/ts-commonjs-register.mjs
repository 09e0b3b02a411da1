// `node --import ./libs/testing/ts-commonjs-register.mjs -r @swc-node/register`: see ts-commonjs-hooks.mjs.
import { register } from 'node:module';

register('./ts-commonjs-hooks.mjs', import.meta.url);
