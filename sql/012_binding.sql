-- Referenda that bind and count each person once (referenda-trust.md,
-- "Electorate and cost shares", "Bounded bids and deposits",
-- "Settlement"): a voter roll per proposal, deposits held from a voter's
-- first bid, and a double-entry ledger that the tally settles, once.

-- electorate: 'roll', the voters of proposal_voters, fixed when bidding
-- opens, who share the cost whether they bid or not (Tideman and Tullock);
-- or 'bidders', an open poll, whose cost is shared by those who bid.
-- surplus_to: whose balance receives the cost shares of an adopted
-- proposal and the taxes that no payout returns (the project's fund).
alter table proposals
	add column electorate text not null default 'bidders'
		check (electorate in ('roll', 'bidders')),
	add column surplus_to bigint references users (id);

alter table proposals disable trigger proposals_guard;
update proposals set surplus_to = creator_id;
alter table proposals enable trigger proposals_guard;
alter table proposals alter column surplus_to set not null;

create table proposal_voters (
	proposal_id	bigint not null references proposals (id),
	user_id		bigint not null references users (id),
	primary key (proposal_id, user_id)
);

create index proposal_voters_user on proposal_voters (user_id);

-- The ledger.  Every movement is two rows with the same txn that sum to
-- zero: from one account to another.  Accounts: a user's 'balance'; a
-- user's 'deposit' on a proposal; a proposal's 'pool' of taxes, from which
-- payouts are paid and whose rest is the surplus; and 'world', the other
-- side of an admin's credit (money that came in) or debit (went out).  A
-- balance is the sum of its account's rows.  Rows are never changed.
create sequence ledger_txn;

create table ledger (
	id		bigint generated always as identity primary key,
	txn		bigint not null,
	account		text not null
			check (account in ('balance', 'deposit', 'pool', 'world')),
	user_id		bigint references users (id),
	proposal_id	bigint references proposals (id),
	currency	text not null check (currency ~ '^[A-Z]{3}$'),
	amount		bigint not null check (amount <> 0),
	memo		text not null check (memo in ('credit', 'debit',
			    'deposit', 'cost share', 'tax', 'payout',
			    'surplus', 'release')),
	ref		text check (length(ref) between 1 and 200),
	at		timestamptz not null default now(),
	check ((account in ('balance', 'deposit')) = (user_id is not null)),
	check ((account in ('deposit', 'pool')) = (proposal_id is not null))
);

create index ledger_user on ledger (user_id, currency, id)
	where user_id is not null;
create index ledger_proposal on ledger (proposal_id, account, user_id)
	where proposal_id is not null;

create trigger ledger_append_only
	before update or delete or truncate on ledger
	for each statement execute function forbid_rewrite();

-- A movement has one row out and one row in: a later statement cannot
-- add to it.
create unique index ledger_movement on ledger (txn, (amount > 0));

-- Each statement's movements balance: two rows each, summing to zero.
create function ledger_balanced() returns trigger
language plpgsql as $$
begin
	if exists (select 1 from ledger_new group by txn
	    having sum(amount) <> 0 or count(*) <> 2 or
	    count(distinct currency) <> 1) then
		raise exception 'a ledger movement does not balance'
		    using errcode = 'FW500';
	end if;
	return null;
end
$$;

create trigger ledger_balanced
	after insert on ledger referencing new table as ledger_new
	for each statement execute function ledger_balanced();

-- What was decided stays so: as in 011, and the electorate and surplus_to
-- with the rest of a proposal's terms.
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
	    new.threshold, new.wrapped_key, new.board_key_id, new.max_bid,
	    new.electorate, new.surplus_to) is distinct from
	    (old.id, old.slug, old.title, old.project, old.description,
	    old.cost, old.currency, old.opens_at, old.closes_at, old.tax_rule,
	    old.payout_rule, old.creator_id, old.created_at, old.public_key,
	    old.sealed_secret_key, old.master_key_id, old.readers,
	    old.threshold, old.wrapped_key, old.board_key_id, old.max_bid,
	    old.electorate, old.surplus_to) then
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
