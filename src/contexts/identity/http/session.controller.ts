import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { DomainError, isUuid, RequestMeta } from '@kernel';
import { AuthUser, CurrentUser, Public, RateLimit, Roles } from '@platform/auth/auth.decorators';
import { ErrorResponse } from '@platform/http/error-response.dto';
import { Meta } from '@platform/http/request-meta.decorator';
import { AuthService } from '../application/auth.service';
import { SessionService } from '../application/session.service';
import { TwoFactorService } from '../application/two-factor.service';
import {
  DisableTwoFactorDto,
  EnrolDto,
  LoginResponse,
  MessageResponse,
  OtpDto,
  RefreshDto,
  RevokeAllResponse,
  TwoFactorSetupResponse,
} from './auth.dto';

/** 429 from the login throttle carries Retry-After. */
export async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const wait = e instanceof DomainError && e.kind === 'too_many' ? e.details?.retry_after_seconds : undefined;
    if (typeof wait === 'number') void reply.header('Retry-After', String(wait));
    throw e;
  }
}

@ApiTags('identity')
@Controller()
export class SessionController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  @Post('auth/refresh')
  @HttpCode(200)
  @Public()
  @RateLimit('login')
  @ApiOperation({ summary: 'Trade a refresh token for new tokens; the old refresh token stops working (reuse ends the session).' })
  @ApiOkResponse({ type: LoginResponse, description: 'New access and refresh tokens plus the user.' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid body.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Unknown, expired, revoked or reused refresh token.' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'Too many requests (Retry-After).' })
  refresh(@Body() dto: RefreshDto, @Meta() meta: RequestMeta): Promise<LoginResponse> {
    return this.auth.refresh(dto.refresh_token, meta);
  }

  @Post(['auth/logout', 'api/v1/auth/logout'])
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke this access token and its session (refresh token).' })
  @ApiOkResponse({ type: MessageResponse, description: '`Logged out`.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or revoked access token.' })
  async logout(@CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<MessageResponse> {
    await this.sessions.logout(user, meta);
    return { message: 'Logged out' };
  }

  @Post('auth/revoke-all')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End every session of the current user.' })
  @ApiOkResponse({ type: RevokeAllResponse, description: 'How many sessions ended.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or revoked access token.' })
  async revokeAll(@CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<RevokeAllResponse> {
    const n = await this.sessions.revokeAll(user, meta);
    return { message: 'All sessions revoked', revoked_sessions: n };
  }

  @Post('auth/2fa/setup')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Start TOTP 2FA: a new secret (sealed by the vault) and its otpauth:// URL.' })
  @ApiOkResponse({ type: TwoFactorSetupResponse, description: 'The new TOTP secret (shown once) and its otpauth:// URL.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or revoked access token.' })
  @ApiConflictResponse({ type: ErrorResponse, description: '2FA is already enabled.' })
  setup(@CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<TwoFactorSetupResponse> {
    return this.twoFactor.setup(user.id, meta);
  }

  @Post(['auth/2fa/enable', 'auth/2fa/verify-enable'])
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Confirm a code from the authenticator: 2FA is on from now.' })
  @ApiOkResponse({ type: MessageResponse, description: '`2FA enabled`.' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid otp format.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing/invalid access token or wrong code.' })
  @ApiConflictResponse({ type: ErrorResponse, description: '2FA already enabled, or setup not called first.' })
  async enable(@Body() dto: OtpDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<MessageResponse> {
    await this.twoFactor.enable(user.id, dto.otp, meta);
    return { message: '2FA enabled' };
  }

  @Post('auth/2fa/enrol')
  @HttpCode(200)
  @Public()
  @RateLimit('login')
  @ApiOperation({
    summary: 'Finish the mandatory 2FA enrolment of a login challenge: a code from the new secret turns 2FA on and logs in.',
    description:
      'After an admin 2FA reset, 2FA stays mandatory: the next password login answers with a setup challenge ' +
      '(enrolment_token valid 600 s, secret, otpauth_url) instead of tokens. Send the enrolment_token and a code from the new secret here.',
  })
  @ApiOkResponse({ type: LoginResponse, description: 'Access and refresh tokens plus the user; 2FA is on.' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid body (bad otp format).' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Invalid or expired enrolment token, or wrong code.' })
  @ApiConflictResponse({ type: ErrorResponse, description: '2FA already enabled, or no pending enrolment.' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse, description: 'Too many requests (Retry-After).' })
  enrol(@Body() dto: EnrolDto, @Meta() meta: RequestMeta): Promise<LoginResponse> {
    return this.auth.completeEnrolment(dto.enrolment_token, dto.otp, meta);
  }

  @Post('auth/2fa/disable')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Turn 2FA off (needs a current code and the password).' })
  @ApiOkResponse({ type: MessageResponse, description: '`2FA disabled`.' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid body.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing/invalid access token, wrong code or password.' })
  @ApiConflictResponse({ type: ErrorResponse, description: '2FA is not enabled.' })
  async disable(@Body() dto: DisableTwoFactorDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<MessageResponse> {
    await this.twoFactor.disable(user.id, dto.otp, dto.password, meta);
    return { message: '2FA disabled' };
  }

  @Post('ops/admin/users/:id/2fa/reset')
  @HttpCode(200)
  @Roles('admin')
  @ApiBearerAuth()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: "Admin: remove a user's 2FA secret (lost device). Audited.",
    description: '2FA stays mandatory: the next password login gets a setup challenge and no access token until a new code is confirmed.',
  })
  @ApiOkResponse({ type: MessageResponse, description: '`2FA reset`.' })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'id is not a UUID.' })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing, invalid or revoked access token.' })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Admin role required.' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'User not found.' })
  async reset(@Param('id') id: string, @CurrentUser() admin: AuthUser, @Meta() meta: RequestMeta): Promise<MessageResponse> {
    if (!isUuid(id)) {
      throw DomainError.invalidField('id', 'id must be a UUID');
    }
    await this.twoFactor.adminReset(admin.id, id, meta);
    return { message: '2FA reset' };
  }
}
