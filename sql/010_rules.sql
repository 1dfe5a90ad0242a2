-- The tax and payout rules a proposal may have.  Their home is the
-- tally's table of rules (app/core/clarke_rules.c): `factwiki migrate`
-- writes every rule there into these tables after the migrations, with
-- the words that explain it, and removes those no longer there, which a
-- proposal that has one prevents (app/store/migrate.c).  Until this
-- migration a check constraint listed the names a second time.

create table tax_rules (
	name		text primary key,
	summary		text not null,
	explanation	text not null,	-- Markdown
	pivotal		text not null	-- who is pivotal under it
);

create table payout_rules (
	name		text primary key,
	summary		text not null,
	explanation	text not null	-- Markdown
);

-- The rules proposals have already; migrate then writes their words.
insert into tax_rules select distinct tax_rule, '', '', '' from proposals;
insert into payout_rules select distinct payout_rule, '', '' from proposals;

-- The server always names both rules; the default is the tally's too.
alter table proposals
	drop constraint proposals_tax_rule_check,
	drop constraint proposals_payout_rule_check,
	alter tax_rule drop default,
	alter payout_rule drop default,
	add foreign key (tax_rule) references tax_rules (name),
	add foreign key (payout_rule) references payout_rules (name);
