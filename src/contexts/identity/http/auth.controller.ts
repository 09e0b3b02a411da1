import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, RequestMeta } from '@kernel';
import { AuthUser, CurrentUser, Public, RateLimit } from '@platform/auth/auth.decorators';
import { Meta } from '@platform/http/request-meta.decorator';
import { AuthService } from '../application/auth.service';
import { LoginDto, LoginResponse, RegisterDto, TokenResponse, UserResponse } from './auth.dto';
import { withRetryAfter } from './session.controller';

const loginOf = (dto: LoginDto): string => {
  const login = dto.username ?? dto.email;
  if (!login) {
    throw DomainError.invalid('validation_failed', 'Validation failed: username: username or email is required', {
      errors: [{ field: 'username', messages: ['username or email is required'] }],
    });
  }
  return login;
};

@ApiTags('identity')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post(['auth/register', 'api/v1/auth/register'])
  @Public()
  @RateLimit('register')
  @ApiOperation({ summary: 'Create a user (role user). 409 when the email is taken.' })
  register(@Body() dto: RegisterDto, @Meta() meta: RequestMeta): Promise<UserResponse> {
    return this.auth.register(
      {
        email: dto.email,
        password: dto.password,
        username: dto.username,
        fullName: dto.full_name,
        notifyChannel: dto.notify_channel,
        notifyDestination: dto.notify_destination,
      },
      meta,
    );
  }

  @Post(['auth/login', 'api/v1/auth/login'])
  @HttpCode(200)
  @Public()
  @RateLimit('login')
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiOperation({ summary: 'Log in with username or email + password (+ otp when 2FA is on).' })
  login(@Body() dto: LoginDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginResponse> {
    return withRetryAfter(reply, () => this.auth.login({ login: loginOf(dto), password: dto.password, otp: dto.otp }, meta));
  }

  @Post('api/auth/token/')
  @HttpCode(200)
  @Public()
  @RateLimit('login')
  @ApiOperation({ summary: 'Loans-system token endpoint: same as /auth/login; also returns `access`.' })
  async token(@Body() dto: LoginDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    const result = await withRetryAfter(reply, () => this.auth.login({ login: loginOf(dto), password: dto.password, otp: dto.otp }, meta));
    return { ...result, access: result.access_token };
  }

  @Get(['auth/me', 'users/me'])
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The current user.' })
  me(@CurrentUser() user: AuthUser): Promise<UserResponse> {
    return this.auth.me(user.id);
  }
}
