import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { DomainError, RequestMeta } from '@kernel';
import { AuthUser, CurrentUser, Public, RateLimit } from '@platform/auth/auth.decorators';
import { ErrorResponse } from '@platform/http/error-response.dto';
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
  @ApiCreatedResponse({ type: UserResponse, description: 'The new user.' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid body, weak password or bad notify destination.' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Email or username already taken.' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'Too many registrations from this IP (Retry-After).' })
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
  @ApiOkResponse({ type: LoginResponse, description: 'Access and refresh tokens plus the user.' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid body (no username/email, bad otp format).' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Incorrect credentials or 2FA code.' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'Login throttled for the account or IP (Retry-After).' })
  login(@Body() dto: LoginDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginResponse> {
    return withRetryAfter(reply, () => this.auth.login({ login: loginOf(dto), password: dto.password, otp: dto.otp }, meta));
  }

  @Post('api/auth/token/')
  @HttpCode(200)
  @Public()
  @RateLimit('login')
  @ApiOperation({ summary: 'Loans-system token endpoint: same as /auth/login; also returns `access`.' })
  @ApiOkResponse({ type: TokenResponse, description: 'Same as /auth/login plus `access`.' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid body (no username/email, bad otp format).' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Incorrect credentials or 2FA code.' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'Login throttled for the account or IP (Retry-After).' })
  async token(@Body() dto: LoginDto, @Meta() meta: RequestMeta, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenResponse> {
    const result = await withRetryAfter(reply, () => this.auth.login({ login: loginOf(dto), password: dto.password, otp: dto.otp }, meta));
    return { ...result, access: result.access_token };
  }

  @Get(['auth/me', 'users/me'])
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The current user.' })
  @ApiOkResponse({ type: UserResponse, description: 'The current user.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or revoked access token.' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'The user no longer exists.' })
  me(@CurrentUser() user: AuthUser): Promise<UserResponse> {
    return this.auth.me(user.id);
  }
}
