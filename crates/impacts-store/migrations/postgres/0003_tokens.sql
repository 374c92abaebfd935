-- The PostgreSQL form of migrations/sqlite/0003_tokens.sql.
-- Bearer tokens (`impacts token create`): only their SHA-256 is kept; the token itself is shown
-- once, when it is created.
CREATE TABLE tokens (
    id BIGSERIAL PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    user_name TEXT NOT NULL,
    role TEXT NOT NULL,          -- 'user' or 'admin'
    created BIGINT NOT NULL,     -- UTC seconds
    expires BIGINT,              -- UTC seconds; NULL: never
    note TEXT
);
