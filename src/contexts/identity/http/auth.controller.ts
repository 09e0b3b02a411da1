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
  ApiExtraModels,
  getSchemaPath,
} from '@nestjs/swagger';
import { DomainError, RequestMeta } from '@kernel';
import { AuthUser, CurrentUser, Public, RateLimit } from '@platform/auth/auth.decorators';
import { ErrorResponse } from '@platform/http/error-response.dto';
import { Meta } from '@platform/http/request-meta.decorator';
import { AuthService } from '../application/auth.service';
import { EnrolmentChallengeResponse, LoginDto, LoginResponse, RegisterDto, TokenResponse, UserResponse } from './auth.dto';
import { withRetryAfter } from './session.controller';

const loginOf = (dto: LoginDto): string => {
  const login = dto.username ?? dto.email;
  if (!login) {
    throw DomainError.invalidField('username', 'username or email is required');
  }
  return login;
};

/** The progressive lockout (domain/login-throttle.ts), as /docs tells it. */
const LOGIN_THROTTLE_POLICY =
  'Login throttled (Retry-After, retry_after_seconds). Progressive lockout: past a budget of failures in a sliding hour, ' +
  'each further attempt waits a backoff that doubles (1 s, 2 s, 4 s, ...) after the newest failure, up to a cap: ' +
  'per account and IP after LOGIN_BACKOFF_AFTER_FAILURES (5), cap LOGIN_BACKOFF_CAP_SECONDS (900 s); per account after ' +
  'LOGIN_MAX_FAILURES_PER_HOUR (20), cap LOGIN_ACCOUNT_BACKOFF_CAP_SECONDS (300 s), never from an address the account ' +
  'logged in from in the last LOGIN_KNOWN_CLIENT_DAYS (30); per IP after LOGIN_MAX_FAILURES_PER_IP_PER_HOUR (100), cap ' +
  'LOGIN_BACKOFF_CAP_SECONDS, not for accounts known on that address. Refused attempts are not counted.';

@ApiTags('identity')
@ApiExtraModels(LoginResponse, TokenResponse, EnrolmentChallengeResponse)
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
  @ApiOkResponse({
    schema: { oneOf: [{ $ref: getSchemaPath(LoginResponse) }, { $ref: getSchemaPath(EnrolmentChallengeResponse) }] },
    description:
      'Access and refresh tokens plus the user; or, when 2FA is mandatory after an admin reset and not enrolled yet, a setup ' +
      'challenge (enrolment_token, otpauth_url, no access token): confirm a code with POST /auth/2fa/enrol.',
  })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid body (no username/email, bad otp format).' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Incorrect credentials or 2FA code.' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: LOGIN_THROTTLE_POLICY })
  login(
    @Body() dto: LoginDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse | EnrolmentChallengeResponse> {
    return withRetryAfter(reply, () => this.auth.login({ login: loginOf(dto), password: dto.password, otp: dto.otp }, meta));
  }

  @Post('api/auth/token/')
  @HttpCode(200)
  @Public()
  @RateLimit('login')
  @ApiOperation({ summary: 'Loans-system token endpoint: same as /auth/login; also returns `access`.' })
  @ApiOkResponse({
    schema: { oneOf: [{ $ref: getSchemaPath(TokenResponse) }, { $ref: getSchemaPath(EnrolmentChallengeResponse) }] },
    description: 'Same as /auth/login plus `access` (or the same 2FA setup challenge).',
  })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid body (no username/email, bad otp format).' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Incorrect credentials or 2FA code.' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: LOGIN_THROTTLE_POLICY })
  async token(
    @Body() dto: LoginDto,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse | EnrolmentChallengeResponse> {
    const result = await withRetryAfter(reply, () => this.auth.login({ login: loginOf(dto), password: dto.password, otp: dto.otp }, meta));
    return 'access_token' in result ? { ...result, access: result.access_token } : result;
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
