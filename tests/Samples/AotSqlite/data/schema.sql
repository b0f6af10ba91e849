create table greeting (id integer primary key, word text not null);
insert into greeting (word) values ('hello'), ('from'), ('native'), ('aot');
