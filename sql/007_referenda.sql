-- Referenda: proposals decided by sealed money bids, with Clarke taxes.
--
-- Amounts are bigint minor units (cents) of the proposal's currency.  A bid
-- is kept only as crypto_box_seal ciphertext of (voter id, amount, nonce)
-- to the proposal's public key; the matching secret key is kept only
-- wrapped (crypto_secretbox) under the server's master key, which lives in
-- a file, never here.  So nothing in this database reveals a bid amount
-- before the tally, whoever reads it.  master_key_id names the master key
-- that wrapped the secret key, so that a lost or wrong key file is noticed
-- at start-up rather than at the tally.
--
-- A proposal's status follows from the clock: draft before opens_at, open
-- until closes_at, closed after it, tallied once its result is stored.
-- tally_started_at is set by whoever claims the tally (a server worker, or
-- `factwiki proposal tally`); a claim older than a few minutes is stale
-- (its worker died) and is claimed again.

create table proposals (
	id		bigint generated always as identity primary key,
	slug		slug not null unique check (slug <> 'new'),
	title		text not null check (length(title) between 1 and 200),
	project		text not null check (length(project) between 1 and 100),
	description	text not null default ''
			check (length(description) <= 100000),
	-- 0 .. INT64_MAX / 4: the largest cost the tally is proven exact for.
	cost		bigint not null
			check (cost between 0 and 2305843009213693951),
	currency	text not null check (currency ~ '^[A-Z]{3}$'),
	opens_at	timestamptz not null,
	closes_at	timestamptz not null check (closes_at > opens_at),
	tax_rule	text not null default 'pivot' check (tax_rule in
			    ('pivot', 'coalition-equal', 'coalition-prorata')),
	payout_rule	text not null default 'none'
			check (payout_rule in ('none', 'losers-prorata')),
	creator_id	bigint not null references users (id),
	created_at	timestamptz not null default now(),
	public_key	bytea not null check (length(public_key) = 32),
	sealed_secret_key bytea not null check (length(sealed_secret_key) = 72),
	master_key_id	text not null check (master_key_id ~ '^[0-9a-f]{32}$'),
	tally_started_at timestamptz,
	tallied_at	timestamptz
);

create index proposals_to_tally on proposals (closes_at)
	where tallied_at is null;

-- One bid per voter and proposal; a new one replaces it until the close.
create table bids (
	proposal_id	bigint not null references proposals (id),
	voter_id	bigint not null references users (id),
	ciphertext	bytea not null check (length(ciphertext) = 84),
	receipt		text not null check (receipt ~ '^[0-9a-f]{64}$'),
	placed_at	timestamptz not null default now(),
	primary key (proposal_id, voter_id)
);

create index bids_voter on bids (voter_id);

-- The result, stored once by the tally in the statement that marks the
-- proposal tallied: doc is the JSON of `factwiki clarke --format json`
-- with each voter's receipt, csv its CSV; the other columns are for
-- lists.  lz4: a tally of 100,000 voters stores some 30 MB of text.
create table results (
	proposal_id	bigint primary key references proposals (id),
	adopt		boolean not null,
	voters		integer not null check (voters >= 0),
	total_net	bigint not null,
	total_tax	bigint not null check (total_tax >= 0),
	total_payout	bigint not null check (total_payout >= 0),
	doc		text compression lz4 not null,
	csv		text compression lz4 not null,
	tallied_at	timestamptz not null default now()
);

-- A published result never changes.
create trigger results_append_only
	before update or delete or truncate on results
	for each statement execute function forbid_rewrite();

-- What was sealed and decided stays so: a proposal's terms never change,
-- and its tally is marked started and done once each (a stale start may
-- be claimed again).  Bids do not change once the tally has started.
create function proposals_guard() returns trigger language plpgsql as $$
begin
	if tg_op = 'DELETE' then
		raise exception 'proposals are never deleted'
		    using errcode = 'FW403';
	end if;
	if (new.id, new.slug, new.title, new.project, new.description,
	    new.cost, new.currency, new.opens_at, new.closes_at, new.tax_rule,
	    new.payout_rule, new.creator_id, new.created_at, new.public_key,
	    new.sealed_secret_key, new.master_key_id) is distinct from
	    (old.id, old.slug, old.title, old.project, old.description,
	    old.cost, old.currency, old.opens_at, old.closes_at, old.tax_rule,
	    old.payout_rule, old.creator_id, old.created_at, old.public_key,
	    old.sealed_secret_key, old.master_key_id) then
		raise exception 'a proposal does not change once made'
		    using errcode = 'FW403';
	end if;
	if old.tallied_at is not null or new.tally_started_at is null then
		raise exception 'the tally of a proposal is claimed, then '
		    'stored, once' using errcode = 'FW403';
	end if;
	return new;
end
$$;

create trigger proposals_guard
	before update or delete on proposals
	for each row execute function proposals_guard();

create function bids_guard() returns trigger language plpgsql as $$
begin
	if exists (select 1 from proposals
	    where id = coalesce(new.proposal_id, old.proposal_id)
	    and tally_started_at is not null) then
		raise exception 'bids do not change once the tally has started'
		    using errcode = 'FW409';
	end if;
	return coalesce(new, old);
end
$$;

create trigger bids_guard
	before insert or update or delete on bids
	for each row execute function bids_guard();
