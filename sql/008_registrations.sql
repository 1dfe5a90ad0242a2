-- Accounts made, by address, kept for a day: registering is limited per
-- address.  Each account costs the server a password hash, and an empty
-- account is a spammer's foothold; a school behind one address still makes
-- ten an hour.

create table registrations (
	address		inet not null,
	at		timestamptz not null default now()
);

create index registrations_address on registrations (address, at);
