-- Portable SQL (H2 and PostgreSQL).

-- What the requests of an endpoint carried besides its template, for the OpenAPI export: query
-- parameter names with how many requests had each (never their values), and the kinds of value seen
-- at each path parameter. Text, "page:120,size:80;~:0;p:1,16" (ObservedParameters.encode); null in
-- rows written before this column existed.
ALTER TABLE endpoint_catalog ADD COLUMN parameters VARCHAR(100000);
