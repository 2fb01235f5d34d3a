package dev.library.auth.core;

/** The security events the audit trail records (the proto's AuditEventType, by name). */
public enum AuditEventType {
  LOGIN_SUCCEEDED,
  LOGIN_FAILED,
  LOGIN_THROTTLED,
  USER_REGISTERED,
  ROLES_CHANGED,
  PASSWORD_CHANGED,
  LOGGED_OUT,
  REFRESH_TOKEN_REUSED,
  SIGNING_KEY_ROTATED
}
