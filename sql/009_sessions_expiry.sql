-- Each sign-in deletes every expired session, not only its user's: the
-- sessions of those who never come back are gone too.
create index sessions_expires on sessions (expires_at);
