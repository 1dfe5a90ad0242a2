-- Signing in on the web.
--
-- Every sign-in attempt is recorded before its password is checked, and
-- counts as failed until it succeeds, so that guessing is limited per
-- account and per address however many guesses run at once
-- (api.login_begin()).  name is the name as typed, in lower case (names
-- sign in whatever their case): one that has no account counts the same as
-- one that has.

create table login_attempts (
	id		bigint generated always as identity primary key,
	name		text not null check (length(name) <= 64),
	address		inet not null,
	user_id		bigint references users (id) on delete cascade,
	at		timestamptz not null default now(),
	ok		boolean not null default false
);

create index login_attempts_name on login_attempts (name, at);
create index login_attempts_address on login_attempts (address, at);
create index login_attempts_at on login_attempts (at);

-- "Alice" and "alice" would be two people that no reader can tell apart.
create unique index users_name_folded on users (lower(name));
