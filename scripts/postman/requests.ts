/** One request of the collection: what to send and what the answer must show (Postman test lines). */
export interface Step {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  auth?: 'token' | 'adminToken' | 'clientToken' | 'fundsToken';
  body?: unknown;
  form?: Record<string, string>;
  status: number;
  /** Extra test lines; `b` is the parsed JSON body. */
  checks?: string[];
}

export interface Folder {
  name: string;
  steps: Step[];
}

const has = (...keys: string[]) => keys.map((k) => `pm.expect(b).to.have.property('${k}');`);

export const FOLDERS: Folder[] = [
  {
    name: 'Seed 000: crypto SaaS runbook (identity, vault, execution, audit)',
    steps: [
      { name: 'Health', method: 'GET', path: '/healthz', status: 200, checks: ["pm.expect(b.status).to.eql('ok');"] },
      { name: 'Readiness', method: 'GET', path: '/readyz', status: 200, checks: ["pm.expect(b.status).to.eql('ok');"] },
      {
        name: 'Register',
        method: 'POST',
        path: '/auth/register',
        body: { email: '{{email}}', password: '{{password}}' },
        status: 201,
        checks: [...has('id', 'email', 'role'), "pm.environment.set('userId', b.id);", "pm.expect(b).to.not.have.property('password');"],
      },
      {
        name: 'Register again: 409',
        method: 'POST',
        path: '/auth/register',
        body: { email: '{{email}}', password: '{{password}}' },
        status: 409,
        checks: ['pm.expect(b.statusCode).to.eql(409);', "pm.expect(b).to.have.property('request_id');"],
      },
      {
        name: 'Login (form, as the runbook): token captured',
        method: 'POST',
        path: '/auth/login',
        form: { username: '{{email}}', password: '{{password}}' },
        status: 200,
        checks: [
          "pm.expect(b.token_type).to.eql('bearer');",
          "pm.environment.set('token', b.access_token);",
          "pm.environment.set('refreshToken', b.refresh_token);",
        ],
      },
      {
        name: 'Wrong password: 401',
        method: 'POST',
        path: '/auth/login',
        form: { username: '{{email}}', password: 'nope-nope-1' },
        status: 401,
      },
      {
        name: 'Me',
        method: 'GET',
        path: '/auth/me',
        auth: 'token',
        status: 200,
        checks: ["pm.expect(b.email).to.eql(pm.environment.get('email'));"],
      },
      {
        name: 'Refresh (rotates)',
        method: 'POST',
        path: '/auth/refresh',
        body: { refresh_token: '{{refreshToken}}' },
        status: 200,
        checks: [
          "pm.environment.set('token', b.access_token);",
          'pm.expect(b.refresh_token).to.not.eql(pm.environment.get("refreshToken"));',
        ],
      },
      { name: '2FA setup', method: 'POST', path: '/auth/2fa/setup', auth: 'token', status: 200, checks: has('secret', 'otpauth_url') },
      {
        name: 'Save Binance credentials',
        method: 'POST',
        path: '/users/exchange-secrets',
        auth: 'token',
        body: { exchange: 'BINANCE', api_key: 'TU_BINANCE_API_KEY', api_secret: 'TU_BINANCE_API_SECRET' },
        status: 201,
        checks: ["pm.expect(JSON.stringify(b)).to.not.include('TU_BINANCE_API_SECRET');"],
      },
      {
        name: 'List credentials (masked)',
        method: 'GET',
        path: '/users/exchange-secrets',
        auth: 'token',
        status: 200,
        checks: [
          'pm.expect(b[0].api_key_masked).to.match(/^\\*{4}/);',
          "pm.expect(JSON.stringify(b)).to.not.include('TU_BINANCE_API_SECRET');",
        ],
      },
      {
        name: 'Prepare (dry run)',
        method: 'POST',
        path: '/ops/execution/prepare',
        auth: 'token',
        body: { exchange: 'BINANCE', symbol: 'BTCUSDT', side: 'BUY', qty: 0.01, type: 'LIMIT', price: 60000 },
        status: 200,
        checks: [
          "pm.expect(b.mode).to.eql('DRY_RUN');",
          "pm.expect(b.checks).to.be.an('array');",
          "pm.expect(JSON.stringify(b)).to.not.include('signature=');",
        ],
      },
      {
        name: 'Binance test order (testnet fake)',
        method: 'POST',
        path: '/ops/execution/binance/test-order',
        auth: 'token',
        body: { symbol: 'BTCUSDT', side: 'BUY', qty: 0.01, type: 'LIMIT', price: 60000 },
        status: 200,
        checks: ['pm.expect(b.sent).to.eql(true);'],
      },
      {
        name: 'Save IBKR credentials',
        method: 'POST',
        path: '/users/exchange-secrets',
        auth: 'token',
        body: { exchange: 'IBKR', api_key: 'IBKR_DEMO_KEY', api_secret: 'IBKR_DEMO_SECRET' },
        status: 201,
      },
      {
        name: 'IBKR paper check (fake)',
        method: 'POST',
        path: '/ops/execution/ibkr/paper-check',
        auth: 'token',
        body: { symbol: 'AAPL', side: 'BUY', qty: 1 },
        status: 200,
        checks: has('mode'),
      },
      {
        name: 'My audit trail',
        method: 'GET',
        path: '/ops/audit/me?limit=100',
        auth: 'token',
        status: 200,
        checks: ['pm.expect(b.length).to.be.above(2);'],
      },
      { name: 'Audit all: 403 for a user', method: 'GET', path: '/ops/audit/all', auth: 'token', status: 403 },
      {
        name: 'Admin login (loans token endpoint)',
        method: 'POST',
        path: '/api/auth/token/',
        body: { username: 'admin', password: 'admin1234' },
        status: 200,
        checks: ["pm.environment.set('adminToken', b.access);"],
      },
      {
        name: 'Audit chain verifies',
        method: 'GET',
        path: '/ops/audit/verify',
        auth: 'adminToken',
        status: 200,
        checks: ['pm.expect(b.valid).to.eql(true);'],
      },
    ],
  },
  {
    name: 'Seed 002: Binance broker',
    steps: [
      { name: 'Ping', method: 'GET', path: '/api/broker/ping', auth: 'token', status: 200 },
      { name: 'Balance', method: 'GET', path: '/api/broker/balance', auth: 'token', status: 200 },
      {
        name: 'Create order with OCO protection',
        method: 'POST',
        path: '/api/broker/order/create',
        auth: 'token',
        body: { symbol: 'BTCUSDT', side: 'BUY', quantity: 0.001, price: 59000, stop_loss: 57000, take_profit: 62000 },
        status: 201,
        checks: ["pm.environment.set('orderId', String(b.order_id ?? (b.order && b.order.order_id)));"],
      },
      { name: 'Get order', method: 'GET', path: '/api/broker/order/{{orderId}}?symbol=BTCUSDT', auth: 'token', status: 200 },
      {
        name: 'Cancel order',
        method: 'POST',
        path: '/api/broker/order/cancel',
        auth: 'token',
        body: { symbol: 'BTCUSDT', order_id: '{{orderId}}' },
        status: 200,
      },
    ],
  },
  {
    name: 'Seed 003: crypto.com sync and dashboard',
    steps: [
      {
        name: 'Save crypto.com credentials',
        method: 'POST',
        path: '/users/exchange-secrets',
        auth: 'token',
        body: { exchange: 'CRYPTO_COM', api_key: 'CRYPTO_COM_DEMO_KEY', api_secret: 'CRYPTO_COM_DEMO_SECRET' },
        status: 201,
      },
      { name: 'Sync now', method: 'POST', path: '/ops/exchange-sync/run', auth: 'token', status: 200, checks: has('users_failed') },
      { name: 'Sync status', method: 'GET', path: '/ops/exchange-sync/status', auth: 'token', status: 200 },
      { name: 'Watch BTC/USDT', method: 'POST', path: '/api/watchlist', auth: 'token', body: { symbol: 'BTC/USDT' }, status: 201 },
      { name: 'Watchlist', method: 'GET', path: '/api/watchlist', auth: 'token', status: 200 },
      {
        name: 'Dashboard',
        method: 'GET',
        path: '/api/dashboard/state',
        auth: 'token',
        status: 200,
        checks: [...has('open_orders', 'executed_orders', 'portfolio', 'summary', 'watchlist', 'mode')],
      },
    ],
  },
  {
    name: 'Seed 004: BTG funds',
    steps: [
      {
        name: 'Register (funds client)',
        method: 'POST',
        path: '/api/v1/auth/register',
        body: {
          email: 'f-{{email}}',
          full_name: 'User Test',
          password: 'Secret123!',
          notify_channel: 'email',
          notify_destination: 'f-{{email}}',
        },
        status: 201,
      },
      {
        name: 'Login (JSON)',
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { email: 'f-{{email}}', password: 'Secret123!' },
        status: 200,
        checks: ["pm.environment.set('fundsToken', b.access_token);"],
      },
      { name: 'Funds', method: 'GET', path: '/api/v1/funds', auth: 'fundsToken', status: 200, checks: ['pm.expect(b.length).to.eql(5);'] },
      {
        name: 'Subscribe 125.000 to fund 2',
        method: 'POST',
        path: '/api/v1/subscriptions/2',
        auth: 'fundsToken',
        body: { amount: 125000 },
        status: 201,
        checks: ["pm.expect(b.type).to.eql('SUBSCRIPTION');", "pm.environment.set('txId', b.transaction_id);"],
      },
      {
        name: 'Not enough balance: 400 with the seed message',
        method: 'POST',
        path: '/api/v1/subscriptions/4',
        auth: 'fundsToken',
        body: { amount: 450000 },
        status: 400,
        checks: ['pm.expect(b.detail).to.match(/^No tiene saldo disponible para vincularse al fondo /);'],
      },
      { name: 'Transactions', method: 'GET', path: '/api/v1/transactions', auth: 'fundsToken', status: 200 },
      { name: 'Account', method: 'GET', path: '/api/v1/account', auth: 'fundsToken', status: 200, checks: has('balance') },
      {
        name: 'Cancel the subscription',
        method: 'POST',
        path: '/api/v1/subscriptions/{{txId}}/cancel',
        auth: 'fundsToken',
        status: 200,
        checks: ["pm.expect(b.correlation_id).to.eql(pm.environment.get('txId'));"],
      },
    ],
  },
  {
    name: 'Seed 001: loans',
    steps: [
      {
        name: 'Client login (token endpoint)',
        method: 'POST',
        path: '/api/auth/token/',
        body: { username: 'client1', password: 'client1234' },
        status: 200,
        checks: ["pm.environment.set('clientToken', b.access);"],
      },
      {
        name: 'Quote',
        method: 'POST',
        path: '/api/loans/quote',
        auth: 'token',
        body: { principal: '1200.00', annual_rate: '12', term_months: 3 },
        status: 200,
        checks: ["pm.expect(b.monthly_payment).to.eql('408.03');", 'pm.expect(b.schedule.length).to.eql(3);'],
      },
      {
        name: 'Quote, term 0: 400 naming it',
        method: 'POST',
        path: '/api/loans/quote',
        auth: 'token',
        body: { principal: '1200.00', annual_rate: '12', term_months: 0 },
        status: 400,
        checks: ["pm.expect(b.errors[0].field).to.eql('term_months');"],
      },
      {
        name: 'Apply',
        method: 'POST',
        path: '/api/loans',
        auth: 'token',
        body: { principal: '1200.00', annual_rate: '12', term_months: 3 },
        status: 201,
        checks: ["pm.expect(b.status).to.eql('SUBMITTED');", "pm.environment.set('loanId', b.id);"],
      },
      {
        name: 'Approve (admin)',
        method: 'POST',
        path: '/api/loans/{{loanId}}/approve',
        auth: 'adminToken',
        status: 200,
        checks: ["pm.expect(b.status).to.eql('APPROVED');"],
      },
      {
        name: 'Disburse (admin)',
        method: 'POST',
        path: '/api/loans/{{loanId}}/disburse',
        auth: 'adminToken',
        status: 200,
        checks: ["pm.expect(b.status).to.eql('ACTIVE');"],
      },
      {
        name: 'Installments',
        method: 'GET',
        path: '/api/loans/{{loanId}}/installments',
        auth: 'token',
        status: 200,
        checks: ["pm.expect(b[0].amount).to.eql('408.03');"],
      },
      { name: "Someone else's loan: 404", method: 'GET', path: '/api/loans/{{loanId}}', auth: 'clientToken', status: 404 },
      {
        name: 'Pay the first instalment',
        method: 'POST',
        path: '/api/loans/{{loanId}}/payments',
        auth: 'token',
        body: { amount: '408.03', reference: 'TRX-{{$timestamp}}' },
        status: 201,
        checks: ["pm.expect(b.amount).to.eql('408.03');"],
      },
      {
        name: 'Payments',
        method: 'GET',
        path: '/api/loans/{{loanId}}/payments',
        auth: 'token',
        status: 200,
        checks: ['pm.expect(b.length).to.eql(1);'],
      },
    ],
  },
  {
    name: 'Operations',
    steps: [
      { name: 'Metrics', method: 'GET', path: '/metrics', status: 200, checks: [] },
      { name: 'Logout', method: 'POST', path: '/auth/logout', auth: 'token', status: 200 },
      { name: 'Token revoked: 401', method: 'GET', path: '/auth/me', auth: 'token', status: 401 },
    ],
  },
];
