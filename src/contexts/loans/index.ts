// The loans context's public surface: the only file other contexts may import.
export { LoansModule } from './loans.module';
