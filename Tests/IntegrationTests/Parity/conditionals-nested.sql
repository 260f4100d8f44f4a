\set outer true
\set inner 0
\if :outer
  \echo outer true
  \if :inner
    \echo inner true (wrong)
  \elif false
    \echo elif false (wrong)
  \elif yes
    \echo inner elif yes
    select 'in elif' as branch;
  \else
    \echo inner else (wrong)
  \endif
\else
  \echo outer else (wrong)
  select 1/0;
\endif
\if off
  \if true
    \echo skipped nested
  \endif
\elif on
  \echo second elif
\endif
\if maybe
\echo after bad boolean
\endif
\else
\endif
\if true
\echo unterminated at end of file
