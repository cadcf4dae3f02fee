import type { JiyueApp } from '../app.js';
import * as accounts from './accounts/index.js';
import * as content from './content/index.js';
import * as interaction from './interaction/index.js';
import * as jobs from './jobs/index.js';
import * as media from './media/index.js';
import * as publishing from './publishing/index.js';
import * as search from './search/index.js';
import * as sites from './sites/index.js';

export interface Module {
  name: string;
  register(app: JiyueApp): Promise<void>;
}

/** Every feature module, in registration order. */
export const MODULES: Module[] = [accounts, sites, media, content, publishing, search, interaction, jobs];
