\set ON_ERROR_STOP off
\pset
\pset border 2
\pset columns 77
\pset format wrapped
\pset linestyle unicode
\pset null 'it''s'
\pset numericlocale on
\pset pager_min_lines 5
\pset pager_min_lines 1
\pset recordsep 'x\ny'
\pset tableattr 'a=1'
\pset title 'My ''title'''
\pset unicode_border_linestyle double
\pset fieldsep_zero
\pset
\pset border
\pset columns
\pset numericlocale
\pset numericlocale
\pset numericlocale maybe
\pset pager_min_lines
\pset tableattr
\pset T
\pset unicode_border_linestyle
\pset unicode_column_linestyle
\pset unicode_header_linestyle
\pset format
\pset linestyle
\pset nosuchoption
\pset nosuchoption 1
\pset recordsep_zero
\pset
\pset border 2 extra
\H x
\T a b
\pset title
\pset C
\pset x
\pset vertical auto
\pset t
\pset footer
\pset fieldsep_zero 1
\pset recordsep
\pset csv_fieldsep
\pset null
\pset fieldsep
\pset pager
\pset pager always
\pset pager_min_lines -3
\pset
\pset columns -5
\pset border 99999
\pset
\pset csv_fieldsep '\0'
\pset fieldsep 'a\0b'
\pset
\pset null 'x\0'
\pset format unaligned
select 1 as a, null as b;
