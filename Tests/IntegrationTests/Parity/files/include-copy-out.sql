copy (select g, 'included ' || g from generate_series(1, 2) g) to stdout;
