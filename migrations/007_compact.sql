-- migrate:up transaction:false
-- VACUUM cannot run inside a transaction, so this file asks for none.
VACUUM;
