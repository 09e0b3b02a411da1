import { Module, OnModuleInit } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SeedRegistry } from '@platform/seed/seed.registry';
import { AuthService } from './application/auth.service';
import { TokenService } from './application/token.service';
import { DevUsersSeeder } from './application/dev-users.seeder';
import { DefaultPasswordCheck } from './application/default-password.check';
import { LoginFailureStore, PasswordHasher, SessionRepository, TwoFactorStateRepository, UserRepository } from './domain/identity.ports';
import { SessionService } from './application/session.service';
import { LoginThrottleService } from './application/login-throttle.service';
import { TwoFactorService } from './application/two-factor.service';
import { TypeormLoginFailureStore, TypeormTwoFactorStateRepository } from './infrastructure/postgres/typeorm-session.repository';
import { CachedSessionRepository } from './infrastructure/postgres/cached-session.repository';
import { SessionController } from './http/session.controller';
import { BcryptPasswordHasher } from './infrastructure/bcrypt-password-hasher';
import { JwtStrategy } from './infrastructure/jwt.strategy';
import { SessionRetentionJob } from './application/session-retention.job';
import { UserEntity } from './infrastructure/postgres/user.record';
import { TypeormUserRepository } from './infrastructure/postgres/typeorm-user.repository';
import { AuthController } from './http/auth.controller';
import { UserDirectory } from './domain/user-directory';
import { TypeormUserDirectory } from './infrastructure/postgres/typeorm-user-directory';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), PassportModule, JwtModule.register({})],
  controllers: [AuthController, SessionController],
  providers: [
    AuthService,
    TokenService,
    JwtStrategy,
    DevUsersSeeder,
    DefaultPasswordCheck,
    SessionService,
    LoginThrottleService,
    TwoFactorService,
    SessionRetentionJob,
    { provide: SessionRepository, useClass: CachedSessionRepository },
    { provide: LoginFailureStore, useClass: TypeormLoginFailureStore },
    { provide: TwoFactorStateRepository, useClass: TypeormTwoFactorStateRepository },
    { provide: UserRepository, useClass: TypeormUserRepository },
    { provide: PasswordHasher, useClass: BcryptPasswordHasher },
    { provide: UserDirectory, useClass: TypeormUserDirectory },
  ],
  exports: [AuthService, PasswordHasher, TokenService, UserDirectory],
})
export class IdentityModule implements OnModuleInit {
  constructor(
    private readonly seeds: SeedRegistry,
    private readonly devUsers: DevUsersSeeder,
  ) {}

  onModuleInit(): void {
    this.seeds.register({ name: 'dev-users', order: 10, devOnly: true, run: () => this.devUsers.run() });
  }
}
