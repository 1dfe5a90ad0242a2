-- Accounts: passwords (argon2id, by libsodium's crypto_pwhash_str) and API
-- tokens.  A token is shown once, when made; only its hash is kept.

alter table users add column password_hash text;

create table api_tokens (
	id		bigint generated always as identity primary key,
	user_id		bigint not null references users (id),
	hash		bytea not null unique check (length(hash) = 32),
	label		text not null default '' check (length(label) <= 200),
	created_at	timestamptz not null default now(),
	last_used_at	timestamptz,
	revoked_at	timestamptz
);

create index api_tokens_user on api_tokens (user_id);
