-- Referenda no one has to take on trust (referenda-trust.md): trustees who
-- share a proposal's bid key, a public board of every accepted bid, and the
-- trustees' parts that open the bids after the close.
--
-- Nothing here can open a bid.  A proposal read by its trustees has only
-- their public keys, their dealings (shares sealed to each trustee) and the
-- joint public key; one read by the operator has its scalar wrapped under
-- the master key, which lives in a file, never here.  Whoever writes to
-- this database cannot forge a bid either: each board entry is chained to
-- the one before and signed by the server's board key, derived from that
-- same file.

-- A trustee's public key (Ed25519 that signs, X25519 that receives
-- shares), made on the trustee's own machine.
alter table users add column trustee_key bytea
	check (octet_length(trustee_key) = 64);

-- The board keys the server has signed with, each named by the master key
-- it is derived from: a verifier pins one, and old entries stay checkable
-- when the key file is replaced.
create table board_keys (
	id		text primary key check (id ~ '^[0-9a-f]{32}$'),
	public_key	bytea not null unique
			check (octet_length(public_key) = 32),
	created_at	timestamptz not null default now()
);

-- readers: who could open a bid before the close; 'trustees' (no fewer
-- than threshold of them together) or 'operator' (the master key file and
-- this database).  bid_key: the ristretto255 point bids are sealed to;
-- for trustees it is set once every trustee has acknowledged it.
-- wrapped_key: the operator's scalar, under the master key master_key_id.
-- board_key_id: the key the board's entries are signed with.  max_bid: every
-- bid lies in [-max_bid, max_bid].
alter table proposals
	add column readers text not null default 'operator'
		check (readers in ('operator', 'trustees')),
	add column threshold smallint not null default 1
		check (threshold between 1 and 32),
	add column bid_key bytea check (octet_length(bid_key) = 32),
	add column wrapped_key bytea check (octet_length(wrapped_key) = 72),
	add column board_key_id text references board_keys (id),
	add column max_bid bigint not null default 100000000000
		check (max_bid between 1 and 100000000000),
	add column voided_at timestamptz,
	add column voided_reason text
		check (length(voided_reason) between 1 and 1000),
	add column voided_by bigint references users (id),
	alter column public_key drop not null,
	alter column sealed_secret_key drop not null,
	alter column master_key_id drop not null,
	add constraint proposals_keys check (readers = 'trustees' and
	    wrapped_key is null or readers = 'operator' and
	    (wrapped_key is null) = (master_key_id is null)),
	add constraint proposals_voided check ((voided_at is null) =
	    (voided_reason is null) and (voided_at is null) =
	    (voided_by is null));

-- Bids sealed before the board existed cannot be published or opened by
-- anyone but the operator: a proposal that was not yet tallied is voided,
-- its bids kept as they were.  Tallied ones keep their results.
alter table bids rename to legacy_bids;
alter trigger bids_guard on legacy_bids rename to legacy_bids_guard;
update proposals set tally_started_at = now(), voided_at = now(),
	voided_by = creator_id,
	voided_reason = 'made before the public board: its bids were sealed '
	    'in a form that no one but the operator could check; bid again '
	    'on a new proposal'
where tallied_at is null;

-- A proposal's trustees, fixed at its creation with the public keys they
-- had then.  dealing: what the trustee dealt (dkg.h), checked by the
-- server; ack: the trustee's signature of the resulting key.
create table proposal_trustees (
	proposal_id	bigint not null references proposals (id),
	idx		smallint not null check (idx between 1 and 32),
	user_id		bigint not null references users (id),
	public_key	bytea not null check (octet_length(public_key) = 64),
	dealing		bytea,
	dealt_at	timestamptz,
	ack		bytea check (octet_length(ack) = 64),
	acked_at	timestamptz,
	primary key (proposal_id, idx),
	unique (proposal_id, user_id),
	check ((dealing is null) = (dealt_at is null)),
	check ((ack is null) = (acked_at is null)),
	check (ack is null or dealing is not null)
);

-- The board: every accepted bid, in order.  at is the time the entry
-- names, as the hash covers it; prev is the hash of entry seq - 1.
create table board_entries (
	proposal_id	bigint not null references proposals (id),
	seq		integer not null check (seq > 0),
	voter_id	bigint not null references users (id),
	at		timestamptz not null,
	ciphertext	bytea not null check (octet_length(ciphertext) = 64),
	prev		bytea not null check (octet_length(prev) = 32),
	hash		bytea not null check (octet_length(hash) = 32),
	signature	bytea not null check (octet_length(signature) = 64),
	primary key (proposal_id, seq)
);

create index board_entries_voter on board_entries (proposal_id, voter_id,
	seq);

create trigger board_entries_append_only
	before update or delete or truncate on board_entries
	for each statement execute function forbid_rewrite();

-- Each holder's parts (index 1 of a proposal read by the operator is the
-- server): [{"seq", "part", "proof"}] for the bids that count.  The tally
-- checks them; parts that do not check are marked, and may be given again.
create table trustee_parts (
	proposal_id	bigint not null references proposals (id),
	idx		smallint not null check (idx between 1 and 32),
	parts		jsonb not null check (jsonb_typeof(parts) = 'array'),
	posted_at	timestamptz not null default now(),
	rejected	text,
	primary key (proposal_id, idx)
);

-- What was sealed and decided stays so, as before; and now: the bid key
-- is set once (when the last trustee acknowledges it), a proposal is
-- voided once, and a tallied one changes no more.  A claim on a tally may
-- be given back (its trustees' parts did not check): what is stored once
-- is the result, with tallied_at.
create or replace function proposals_guard() returns trigger
language plpgsql as $$
begin
	if tg_op = 'DELETE' then
		raise exception 'proposals are never deleted'
		    using errcode = 'FW403';
	end if;
	if old.tallied_at is not null then
		raise exception 'a tallied proposal does not change'
		    using errcode = 'FW403';
	end if;
	if (new.id, new.slug, new.title, new.project, new.description,
	    new.cost, new.currency, new.opens_at, new.closes_at, new.tax_rule,
	    new.payout_rule, new.creator_id, new.created_at, new.public_key,
	    new.sealed_secret_key, new.master_key_id, new.readers,
	    new.threshold, new.wrapped_key, new.board_key_id, new.max_bid)
	    is distinct from
	    (old.id, old.slug, old.title, old.project, old.description,
	    old.cost, old.currency, old.opens_at, old.closes_at, old.tax_rule,
	    old.payout_rule, old.creator_id, old.created_at, old.public_key,
	    old.sealed_secret_key, old.master_key_id, old.readers,
	    old.threshold, old.wrapped_key, old.board_key_id, old.max_bid) then
		raise exception 'a proposal does not change once made'
		    using errcode = 'FW403';
	end if;
	if old.bid_key is not null and
	    new.bid_key is distinct from old.bid_key then
		raise exception 'a proposal''s bid key is set once'
		    using errcode = 'FW403';
	end if;
	if old.voided_at is not null and (new.voided_at, new.voided_reason,
	    new.voided_by) is distinct from (old.voided_at, old.voided_reason,
	    old.voided_by) then
		raise exception 'a proposal is voided once'
		    using errcode = 'FW403';
	end if;
	return new;
end
$$;
