copy parity_inc (a, b) from stdin;
7	seven
8	eight
\.
select count(*) from parity_inc;
