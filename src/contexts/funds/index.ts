// The funds context's public surface: the only file other contexts may import.
export { FundsModule } from './funds.module';
export { FUND_TRANSACTIONS } from './infrastructure/document-fund-ledger';
