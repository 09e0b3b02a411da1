import { Module, OnModuleInit } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SeedRegistry } from '@platform/seed/seed.registry';
import { BearerAuthenticator } from '@platform/auth/bearer-authenticator';
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
import { SessionRetentionJob } from './application/session-retention.job';
import { UserEntity } from './infrastructure/postgres/user.record';
import { TypeormUserRepository } from './infrastructure/postgres/typeorm-user.repository';
import { AuthController } from './http/auth.controller';
import { UserDirectory } from './domain/user-directory';
import { TypeormUserDirectory } from './infrastructure/postgres/typeorm-user-directory';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), JwtModule.register({})],
  controllers: [AuthController, SessionController],
  providers: [
    AuthService,
    TokenService,
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
    private readonly bearer: BearerAuthenticator,
    private readonly tokens: TokenService,
    private readonly auth: AuthService,
  ) {}

  onModuleInit(): void {
    this.seeds.register({ name: 'dev-users', order: 10, devOnly: true, run: () => this.devUsers.run() });
    // The global guard's check: signature, iss, aud, exp, then the session (cached; revocations pushed at once).
    this.bearer.use(async (token) => this.auth.resolveAccessToken(this.tokens.verifyAccessToken(token)));
  }
}
