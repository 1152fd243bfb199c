import { describe, expect, it } from 'vitest';
import { parseFieldSpec, UsageError } from '../src/index.js';

describe('parseFieldSpec', () => {
  it('parses the documented example into typed fields', () => {
    const fields = parseFieldSpec(
      'title:string:max=200 price:decimal:min=0 sku:string:unique published:boolean:default=false status:enum(draft|live) categoryId:ref(Category) notes:text?',
    );
    expect(fields).toEqual([
      { name: 'title', type: 'string', optional: false, unique: false, max: 200 },
      { name: 'price', type: 'decimal', optional: false, unique: false, min: 0 },
      { name: 'sku', type: 'string', optional: false, unique: true },
      { name: 'published', type: 'boolean', optional: false, unique: false, default: false },
      {
        name: 'status',
        type: 'enum',
        optional: false,
        unique: false,
        enumValues: ['draft', 'live'],
      },
      { name: 'categoryId', type: 'ref', optional: false, unique: false, ref: 'Category' },
      { name: 'notes', type: 'text', optional: true, unique: false },
    ]);
  });

  it('parses every type, defaults and optional markers', () => {
    const fields = parseFieldSpec(
      'a:int:min=1:max=10:default=5 b:bigint c:float:min=-1.5 d:decimal:default=9.99 e:datetime f:date g:uuid:unique h:email:optional i:url j:json k?:string:default=hello s:enum(draft|live):default=live',
    );
    expect(fields.map((field) => [field.name, field.type, field.optional, field.default])).toEqual([
      ['a', 'int', false, 5],
      ['b', 'bigint', false, undefined],
      ['c', 'float', false, undefined],
      ['d', 'decimal', false, '9.99'],
      ['e', 'datetime', false, undefined],
      ['f', 'date', false, undefined],
      ['g', 'uuid', false, undefined],
      ['h', 'email', true, undefined],
      ['i', 'url', false, undefined],
      ['j', 'json', false, undefined],
      ['k', 'string', true, 'hello'],
      ['s', 'enum', false, 'live'],
    ]);
  });

  it.each([
    ['', /empty/],
    ['title', /expected name:type/],
    ['title:strin', /unknown type "strin"/],
    ['price:decimal:max=abc', /"max" must be a number, got "abc"/],
    ['title:string:max=1.5', /"max" must be an integer/],
    ['n:int:min=5:max=2', /min=5 is greater than max=2/],
    ['title:string title:text', /declared twice/],
    ['id:string', /"id" is generated/],
    ['createdAt:datetime', /"createdAt" is generated/],
    ['class:string', /reserved word/],
    ['constructor:string', /reserved word/],
    ['Title:string', /must be camelCase/],
    ['ti"tle:string', /must be camelCase/],
    ['x:enum(a|b"c)', /enum value "b\\"c"/],
    ['x:enum(a|a)', /listed twice/],
    ['x:enum(a|b);drop', /unknown type/],
    ['x:enum(a|b):default=c', /not one of a, b/],
    ['categoryId:ref(category)', /must be PascalCase/],
    ['category:ref(Category)', /plus "Id"/],
    ['flag:boolean:default=yes', /true or false/],
    ['flag:boolean:max=2', /applies to text and number fields/],
    ['title:string:frobnicate', /unknown modifier "frobnicate"/],
    ['title:string:unique:default=x', /unique field cannot have a default/],
    ["title:string:default=it's", /may not contain quotes/],
    ['n:int:min=1:default=0', /outside min\/max/],
    ['flag:boolean:unique', /cannot be unique/],
    ['t:string:max=0', /at least 1/],
  ])('rejects %j pointing at the offending token', (spec, message) => {
    expect(() => parseFieldSpec(spec)).toThrow(UsageError);
    expect(() => parseFieldSpec(spec)).toThrow(message);
  });

  it('names the offending field and its position', () => {
    expect(() => parseFieldSpec('title:string price:decimal:min=abc')).toThrow(
      'invalid field spec at field 2 "price:decimal:min=abc"',
    );
  });
});
