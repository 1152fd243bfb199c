import { describe, expect, it } from 'vitest';
import { names, resourceNames, UsageError, validateName } from '../src/index.js';

describe('names', () => {
  it.each([
    [
      'billing',
      {
        camel: 'billing',
        pascal: 'Billing',
        kebab: 'billing',
        snake: 'billing',
        constant: 'BILLING',
      },
    ],
    [
      'order-item',
      {
        camel: 'orderItem',
        pascal: 'OrderItem',
        kebab: 'order-item',
        snake: 'order_item',
        constant: 'ORDER_ITEM',
      },
    ],
    [
      'OrderItem',
      {
        camel: 'orderItem',
        pascal: 'OrderItem',
        kebab: 'order-item',
        snake: 'order_item',
        constant: 'ORDER_ITEM',
      },
    ],
    [
      'order_item',
      {
        camel: 'orderItem',
        pascal: 'OrderItem',
        kebab: 'order-item',
        snake: 'order_item',
        constant: 'ORDER_ITEM',
      },
    ],
    [
      'HTTPServer2',
      {
        camel: 'httpServer2',
        pascal: 'HttpServer2',
        kebab: 'http-server2',
        snake: 'http_server2',
        constant: 'HTTP_SERVER2',
      },
    ],
  ])('derives every casing of %s', (raw, expected) => {
    expect(names(raw)).toEqual({ raw, ...expected });
  });

  it.each([
    ['product', 'product', 'products'],
    ['products', 'product', 'products'],
    ['category', 'category', 'categories'],
    ['categories', 'category', 'categories'],
    ['person', 'person', 'people'],
    ['people', 'person', 'people'],
    ['news', 'news', 'news'],
    ['equipment', 'equipment', 'equipment'],
    ['order-item', 'order-item', 'order-items'],
    ['OrderItems', 'order-item', 'order-items'],
    ['address', 'address', 'addresses'],
  ])('pluralizes %s as %s / %s', (raw, singular, plural) => {
    const result = resourceNames(raw);
    expect(result.singular.kebab).toBe(singular);
    expect(result.plural.kebab).toBe(plural);
  });
});

describe('validateName', () => {
  it.each(['billing', 'a', 'Billing2', 'my-service', 'my_service', 'x'.repeat(64)])(
    'accepts %s',
    (raw) => {
      expect(() => {
        validateName(raw);
      }).not.toThrow();
    },
  );

  it.each([
    ['', /is empty/],
    ['x'.repeat(65), /65 characters long/],
    ['2fast', /is not allowed/],
    ['-lead', /is not allowed/],
    ['my service', /is not allowed/],
    ['café', /is not allowed/],
    ['a.b', /is not allowed/],
    ['../etc', /is not allowed/],
    ["o'brien", /is not allowed/],
    ['rm;-rf', /is not allowed/],
    ['class', /reserved/],
    ['Class', /reserved/],
    ['constructor', /reserved/],
    ['__proto__', /is not allowed/],
    ['prototype', /reserved/],
    ['node_modules', /reserved/],
    ['favicon.ico', /is not allowed/],
    ['enum', /reserved/],
    ['_', /is not allowed/],
  ])('rejects %j with a message saying what is allowed', (raw, message) => {
    expect(() => {
      validateName(raw);
    }).toThrow(UsageError);
    expect(() => {
      validateName(raw);
    }).toThrow(message);
    expect(() => {
      validateName(raw);
    }).toThrow(/starts with a letter|choose another/);
  });
});

describe('resourceNames', () => {
  it('rejects a resource whose singular or plural form is reserved', () => {
    expect(() => resourceNames('classes')).toThrow(/reserved .*"class"/);
  });
});
