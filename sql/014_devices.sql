-- Browsers that signed in before (OWASP's device cookies).  A guesser can
-- lock an account, or a shared address, for everyone else; the owner's own
-- browser, which holds a device cookie of their account, still signs in,
-- limited on its own failures.  Only the cookie's BLAKE2b hash is kept.

create table trusted_devices (
	hash		bytea primary key check (length(hash) = 32),
	user_id		bigint not null references users (id) on delete cascade,
	created_at	timestamptz not null default now()
);

create index trusted_devices_user on trusted_devices (user_id, created_at);

-- The trusted device an attempt came from, if any: its failures count
-- against that device alone.
alter table login_attempts add column device bytea;

create index login_attempts_device on login_attempts (device, at)
	where device is not null;
