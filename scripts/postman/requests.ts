import { seed001, seed004, operations } from './money';
import { seed000 } from './seed-000';
import { Folder } from './steps';
import { seed002, seed003 } from './trading';

/** The collection's folders, in run order (later folders use the tokens and ids earlier ones captured). */
export const FOLDERS: Folder[] = [seed000, seed002, seed003, seed004, seed001, operations];
