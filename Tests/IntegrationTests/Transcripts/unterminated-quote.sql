-- Input that ends inside a quote is an error at end of input, never a wait.
select 'complete' as first;
select 'this string never ends;
