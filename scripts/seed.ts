import { SeedRegistry } from '../libs/nest/seed/seed.registry';
import { withAppContext } from './app-context';

/**
 * `npm run seed`: idempotent. Funds catalogue always; outside production also the
 * dev users (admin/admin1234, client1/client1234) and the demo loan.
 */
void withAppContext(async (ctx, config) => {
  const ran = await ctx.get(SeedRegistry).runAll(config.nodeEnv === 'production');
  console.log(`seed complete: ${ran.join(', ') || 'nothing to do'}`);
});
