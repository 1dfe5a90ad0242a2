-- Browser sessions.  The cookie holds a random token; only its hash is kept.
-- Each session has its own CSRF token, which every form posts back and
-- every write function compares, in the same statement as the write.

create table sessions (
	hash		bytea primary key check (length(hash) = 32),
	user_id		bigint not null references users (id),
	csrf		text not null,
	created_at	timestamptz not null default now(),
	expires_at	timestamptz not null default now() + interval '30 days'
);

create index sessions_user on sessions (user_id);
