import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

/** Six digits; spaces and dashes are ignored (`123 456`, `123-456`). */
export const OTP_FORMAT = /^[\s-]*(\d[\s-]*){6}$/;
const OTP_MESSAGE = 'otp must be 6 digits (spaces and dashes are ignored)';

export class RegisterDto {
  @ApiProperty({ example: 'operador@example.com', maxLength: 254 })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Trader123!', minLength: 8, maxLength: 128, description: 'At least 8 characters, not a common password.' })
  @IsString()
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({ example: 'operador', description: 'Optional unique username (3-64 of letters, digits, . _ -); login accepts it.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{3,64}$/, { message: 'username must be 3-64 letters, digits, dots, dashes or underscores' })
  username?: string;

  @ApiPropertyOptional({ example: 'User Test', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  full_name?: string;

  @ApiPropertyOptional({ enum: ['email', 'sms'], description: 'How fund notifications reach the user.' })
  @IsOptional()
  @IsIn(['email', 'sms'])
  notify_channel?: 'email' | 'sms';

  @ApiPropertyOptional({ example: 'u@test.com', description: 'An email for channel email, an E.164 phone (+573001234567) for sms.' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  notify_destination?: string;
}

/** Form-urlencoded (OAuth2 password form, as the runbook's curl) or JSON. */
export class LoginDto {
  @ApiPropertyOptional({ example: 'operador@example.com', description: 'Email or username.' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  username?: string;

  @ApiPropertyOptional({ example: 'u@test.com', description: 'Alternative to username.' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  email?: string;

  @ApiProperty({ example: 'Trader123!' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({ example: '123456', description: 'TOTP code when 2FA is enabled (6 digits; spaces and dashes ignored).' })
  @ValidateIf((o: LoginDto) => o.otp !== undefined && o.otp !== null && o.otp !== '')
  @IsString()
  @MaxLength(16)
  @Matches(OTP_FORMAT, { message: OTP_MESSAGE })
  otp?: string;

  @ApiPropertyOptional({ description: 'Ignored (OAuth2 password form compatibility).' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  grant_type?: string;

  @ApiPropertyOptional({ description: 'Ignored (OAuth2 password form compatibility).' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  scope?: string;

  @ApiPropertyOptional({ description: 'Ignored (OAuth2 password form compatibility).' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  client_id?: string;

  @ApiPropertyOptional({ description: 'Ignored (OAuth2 password form compatibility).' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  client_secret?: string;
}

export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true, type: String }) username: string | null;
  @ApiProperty({ nullable: true, type: String }) full_name: string | null;
  @ApiProperty({ enum: ['user', 'admin'] }) role: 'user' | 'admin';
}

export class LoginResponse {
  @ApiProperty() access_token: string;
  @ApiProperty({ example: 'bearer' }) token_type: 'bearer';
  @ApiProperty({ description: 'Access token lifetime in seconds.' }) expires_in: number;
  @ApiProperty({ description: 'Opaque rotating refresh token (POST /auth/refresh); each one works once.' }) refresh_token: string;
  @ApiProperty({ type: UserResponse }) user: UserResponse;
}

export class EnrolmentChallengeResponse {
  @ApiProperty({ example: true, description: '2FA is mandatory (after an admin reset) and not enrolled: no access token yet.' })
  two_factor_setup_required: true;
  @ApiProperty({ description: 'Short-lived (600 s) token for POST /auth/2fa/enrol; not an access token.' }) enrolment_token: string;
  @ApiProperty({ description: 'Seconds the enrolment token is valid.' }) expires_in: number;
  @ApiProperty({ description: 'The new base32 TOTP secret (shown once).' }) secret: string;
  @ApiProperty({ example: 'otpauth://totp/FintechOps%20(u%40test.com)?secret=...&issuer=FintechOps' }) otpauth_url: string;
}

export class EnrolDto {
  @ApiProperty({ description: 'The enrolment_token of the setup challenge.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  enrolment_token: string;

  @ApiProperty({ example: '123456', description: 'A code from the new secret (6 digits; spaces and dashes ignored).' })
  @IsString()
  @MaxLength(16)
  @Matches(OTP_FORMAT, { message: OTP_MESSAGE })
  otp: string;
}

export class TokenResponse extends LoginResponse {
  @ApiProperty({ description: 'Same as access_token (for clients of the loans system).' }) access: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh_token of the last login or refresh.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refresh_token: string;
}

export class OtpDto {
  @ApiProperty({ example: '123456', description: '6 digits; spaces and dashes are ignored.' })
  @IsString()
  @MaxLength(16)
  @Matches(OTP_FORMAT, { message: OTP_MESSAGE })
  otp: string;
}

export class DisableTwoFactorDto extends OtpDto {
  @ApiProperty({ example: 'Trader123!' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;
}

export class TwoFactorSetupResponse {
  @ApiProperty({ description: 'Base32 TOTP secret: shown once, to put in an authenticator app.' }) secret: string;
  @ApiProperty({ example: 'otpauth://totp/FintechOps%20(u%40test.com)?secret=...&issuer=FintechOps' }) otpauth_url: string;
}

export class MessageResponse {
  @ApiProperty({ example: '2FA enabled' }) message: string;
}

export class RevokeAllResponse extends MessageResponse {
  @ApiProperty({ description: 'Sessions ended.' }) revoked_sessions: number;
}
