/** Fashion-MNIST's classes in label order (Xiao, Rasul & Vollgraf 2017): browser-safe, for Node's loader and the browser asset alike. */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);
