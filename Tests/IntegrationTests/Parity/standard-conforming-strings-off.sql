set standard_conforming_strings = off;
select 'a\'' as escaped, 'b\\c' as backslash;
select 'x\'; select 1 as not_a_statement; select ''' as one_string;
set standard_conforming_strings = on;
select 'a\' as backslash_at_end;
select E'e\'string' as e_string;
