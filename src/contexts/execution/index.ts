// The execution context's public surface: the only file other contexts may import.
export { ExecutionModule } from './execution.module';
